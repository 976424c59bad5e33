-- case: drizzle-kit: DROP TABLE then CREATE TABLE IF NOT EXISTS
-- label: destructive
DROP TABLE "sessions";--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "sessions" (
  "id" uuid PRIMARY KEY NOT NULL,
  "customer_id" bigint,
  "expires_at" timestamp with time zone
);
-- expect: table-recreated@3 public.sessions
-- expect: missing-lock-timeout@3 public.sessions
