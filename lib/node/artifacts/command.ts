/** Registers `chorus-mesh artifacts FILE…` on the CLI: prints the artifacts the files declare. */
import type { Command } from 'commander'

/** Adds the `artifacts` command to the program; `setCode` receives the exit code. */
export function registerArtifactsCommand(program: Command, setCode: (code: number) => void): void {
  program
    .command('artifacts')
    .description('read the artifacts an OpenAPI document, SQL migrations, .proto, GraphQL SDL or .env file declares; prints them as JSON for a task\'s "artifacts"')
    .argument('<files...>', 'files relative to the current directory')
    .option('--role <role>', 'define | consume (default: define, consume for .env files)')
    .action(async (files: string[], o: { role?: string }) => {
      if (o.role !== undefined && o.role !== 'define' && o.role !== 'consume') throw new Error(`--role ${o.role}: expected define or consume`)
      const { extractArtifacts, ExtractError } = await import('./extract')
      try {
        process.stdout.write(`${JSON.stringify(await extractArtifacts(files, { role: o.role as 'define' | 'consume' | undefined }), null, 2)}\n`)
      } catch (err) {
        if (!(err instanceof ExtractError)) throw err
        process.stderr.write(`${err.message}\n`)
        setCode(2)
      }
    })
}
