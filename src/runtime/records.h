/*
 * records.h - what klive remembers about the patches it applied: when, in
 * which order, from which file and source patch.  The kernel forgets its
 * live patches at reboot, so the records live in RUN_DIR/patches (a tmpfs).
 */
#ifndef KLIVE_RECORDS_H
#define KLIVE_RECORDS_H

#include <stddef.h>
#include <time.h>

struct kl_record {
	char *name;
	unsigned long seq;	/* order of application, from 1 */
	time_t applied;		/* wall clock time of the apply */
	char *source;		/* sha256 of the source patches, or NULL */
	char *file;		/* the .ko it was loaded from, or NULL */
};

/* Writes the record of NAME with the next sequence number; -1 on error. */
int kl_record_add(const char *name, const char *source, const char *file);
/* Reads the record of NAME; -1 if there is none. */
int kl_record_read(const char *name, struct kl_record *r);
void kl_record_remove(const char *name);
void kl_record_free(struct kl_record *r);

/* Every record, sorted by sequence number. */
size_t kl_records_all(struct kl_record **records);
void kl_records_free(struct kl_record *records, size_t nr);

#endif
