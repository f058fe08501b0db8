#!/usr/bin/env python3
"""A Chorus Mesh agent in Python, standard library only, through the HTTP + SSE gateway.

Start a gateway for this agent's identity (it prints its URL and token):

    chorus-mesh gateway --name py-agent --invite <agent invite> --listen 127.0.0.1:7790

then claim a task, follow the room's activity over Server-Sent Events, print the plan when it
arrives, agree with it, and stop once the session is settled:

    python3 examples/python/chorus_agent.py --gateway http://127.0.0.1:7790 --token <token> \\
        --task-id login-page --repository acme/web --title "Sign-in form" \\
        --artifact consume "openapi:POST /v1/login" --agree

Every line it prints is one JSON object ({"event": "claimed" | "plan" | "replied" | "settled", ...}).
The client class (ChorusGateway) is the part to copy: call(name, **args) posts to /v1/<name>,
events(since) yields the activity stream.
"""
import argparse
import http.client
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class GatewayError(Exception):
    """A refused operation: reason (invalid, not_found, not_yours, ...) and message."""

    def __init__(self, status, reason, message):
        super().__init__(f"{status} {reason}: {message}")
        self.status, self.reason, self.message = status, reason, message


class ChorusGateway:
    """A minimal client of `chorus-mesh gateway` (its OpenAPI document is at /openapi.json)."""

    def __init__(self, base_url, token, timeout=130):
        self.base = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def call(self, name, **args):
        """POST /v1/<name> with the arguments as JSON; returns the decoded result."""
        req = urllib.request.Request(
            f"{self.base}/v1/{name}",
            data=json.dumps(args).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                return json.load(res)
        except urllib.error.HTTPError as e:
            body = json.load(e).get("error", {})
            raise GatewayError(e.code, body.get("reason", "failed"), body.get("message", "")) from None

    def events(self, since=0, read_timeout=45):
        """Yields (type, entry) from GET /events, Server-Sent Events, resuming after `since`."""
        url = urllib.parse.urlsplit(self.base)
        conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=read_timeout)
        conn.request("GET", f"/events?since={since}", headers={"Authorization": f"Bearer {self.token}", "Accept": "text/event-stream"})
        res = conn.getresponse()
        if res.status != 200:
            raise GatewayError(res.status, "failed", res.read().decode())
        kind, data = None, []
        try:
            while True:
                line = res.readline()
                if not line:
                    return
                line = line.decode().rstrip("\r\n")
                if line == "":
                    if data:
                        yield kind or "message", json.loads("\n".join(data))
                    kind, data = None, []
                elif line.startswith(":"):
                    continue
                elif line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip())
        finally:
            conn.close()


def say(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--gateway", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--task-id", required=True)
    p.add_argument("--repository", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--description", default="")
    p.add_argument("--path", action="append", default=[], help="a file or glob the task changes (repeatable)")
    p.add_argument("--artifact", nargs=2, action="append", default=[], metavar=("ROLE", "ID"), help="define|consume and an artifact id (repeatable)")
    p.add_argument("--agree", action="store_true", help="agree with each plan version")
    p.add_argument("--timeout", type=float, default=120, help="give up after this many seconds")
    a = p.parse_args(argv)

    gw = ChorusGateway(a.gateway, a.token)
    task = {"taskId": a.task_id, "repository": a.repository, "title": a.title, "description": a.description}
    if a.path:
        task["paths"] = a.path
    if a.artifact:
        task["artifacts"] = [{"role": role, "id": ident} for role, ident in a.artifact]
    claimed = gw.call("claim_task", task=task)
    say("claimed", taskId=claimed["taskId"], dependencies=[d["other"]["taskId"] for d in claimed["dependencies"]])

    deadline = time.monotonic() + a.timeout
    answered = set()
    for kind, entry in gw.events():
        if time.monotonic() > deadline:
            say("timeout")
            return 1
        if kind == "plan":
            say("plan", session=entry["session"], version=entry["version"], by=entry["by"], planText=entry["planText"])
            key = (entry["session"], entry["version"])
            if a.agree and key not in answered:
                answered.add(key)
                gw.call("reply", session=entry["session"], type="agreement", text=f"Agreed with plan v{entry['version']} from Python.")
                say("replied", session=entry["session"], version=entry["version"])
        elif kind == "session" and entry["status"] in ("resolved", "closed"):
            say("settled", session=entry["session"], status=entry["status"], ready=gw.call("ready", taskId=a.task_id))
            return 0
    say("stream-ended")
    return 1


if __name__ == "__main__":
    sys.exit(main())
