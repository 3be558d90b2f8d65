/* init.h - `ismsc init DIR`: start a new tree (init.c). */
#ifndef ISMSC_INIT_H
#define ISMSC_INIT_H

/* Writes a new tree into dir (which must not exist, or be empty) for the built-in catalog
 * catalog_id. Returns the exit status: EXIT_CLEAN, or EXIT_USAGE after saying why. */
int init_tree(const char *dir, const char *catalog_id);

#endif
