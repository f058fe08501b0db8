-- Preferences per user (theme, language); read by the user service.
CREATE TABLE IF NOT EXISTS public.user_preferences (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  theme text NOT NULL DEFAULT 'light'
);
CREATE INDEX user_preferences_theme_idx ON user_preferences (theme);
/* ALTER TABLE commented_out ADD COLUMN x int; */
ALTER TABLE "audit"."events" ADD COLUMN actor uuid;
