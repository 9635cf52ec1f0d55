CREATE TABLE "sync_cursors" (
	"space_id" text PRIMARY KEY NOT NULL,
	"epoch" text NOT NULL,
	"sent_seq" bigint DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sync_presence" (
	"space_id" text NOT NULL,
	"identity" text NOT NULL,
	"being_id" text NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sync_presence_space_id_identity_pk" PRIMARY KEY("space_id","identity")
);
--> statement-breakpoint
CREATE INDEX "sync_presence_being_idx" ON "sync_presence" USING btree ("being_id");