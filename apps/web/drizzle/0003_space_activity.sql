CREATE TABLE "space_activity" (
	"space_id" text PRIMARY KEY NOT NULL,
	"messages" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "space_reads" (
	"being_id" text NOT NULL,
	"space_id" text NOT NULL,
	"read_count" integer DEFAULT 0 NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "space_reads_being_id_space_id_pk" PRIMARY KEY("being_id","space_id")
);
--> statement-breakpoint
ALTER TABLE "space_activity" ADD CONSTRAINT "space_activity_space_id_beings_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."beings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "space_reads" ADD CONSTRAINT "space_reads_being_id_beings_id_fk" FOREIGN KEY ("being_id") REFERENCES "public"."beings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "space_reads" ADD CONSTRAINT "space_reads_space_id_beings_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."beings"("id") ON DELETE cascade ON UPDATE no action;