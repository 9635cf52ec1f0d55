CREATE TABLE "sync_signing_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"private_key" text NOT NULL,
	"public_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retire_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "space_streams" ADD COLUMN "key_id" text;--> statement-breakpoint
ALTER TABLE "space_streams" ADD COLUMN "key" text;