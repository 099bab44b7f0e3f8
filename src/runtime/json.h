/* json.h - the little JSON writing that `klive status --json` needs. */
#ifndef KLIVE_JSON_H
#define KLIVE_JSON_H

#include <stdio.h>

/* Writes s as a JSON string, or null when s is NULL. */
void kl_json_str(FILE *out, const char *s);
/* Writes 1 as true, 0 as false, anything else as null. */
void kl_json_bool(FILE *out, int v);

#endif
