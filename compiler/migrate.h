/* migrate.h - `ismsc migrate --to iso27001-2022 [TREE]` (migrate.c). */
#ifndef ISMSC_MIGRATE_H
#define ISMSC_MIGRATE_H

/* argv[0] is "migrate". Returns the exit status. */
int migrate_main(int argc, char **argv);

#endif
