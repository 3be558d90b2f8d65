/* files.h - writing a user's files safely (files.c): atomically, and never over one that exists.
 *
 * The interchange commands (import, migrate, schema) write into the user's tree, so every write
 * goes to a temporary file beside the target first and is then linked or renamed into place:
 * a crash leaves either the old file or the new one, never half of one.
 */
#ifndef ISMSC_FILES_H
#define ISMSC_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Creates the file path (O_EXCL: never one that exists) holding data[0..len), fsync'd when
 * sync; on failure nothing is left at path and errno says why. */
bool file_create(const char *path, const void *data, size_t len, mode_t mode, bool sync);

/* Writes a new file at path holding data[0..len). Fails (errno EEXIST) when path exists:
 * the file appears by link(2), which never replaces anything. */
bool file_write_new(const char *path, const char *data, size_t len);

/* Replaces the existing file at path with data[0..len), keeping its permissions, by
 * rename(2) from a temporary file beside it. */
bool file_replace(const char *path, const char *data, size_t len);

/* Many new files at once, with one sync instead of one per file (an import writes
 * thousands): file_stage writes data to a temporary file beside path and returns its name
 * (malloc'd; NULL on failure); file_sync flushes the file system that holds any_path;
 * file_publish renames the staged file to path, never over a file (failing with EEXIST
 * when path exists; the temporary name is removed either way). */
char *file_stage(const char *path, const char *data, size_t len);
bool file_sync(const char *any_path);
bool file_publish(const char *staged, const char *path);

/* Renames from to to, failing (errno EEXIST) when to exists (renameat2 RENAME_NOREPLACE,
 * else link + unlink). */
bool file_rename_new(const char *from, const char *to);

/* Creates the folder path and its missing parents (mode 0777 before the umask). */
bool file_make_folders(const char *path);

/* Reads a whole file (at most max bytes; *too_big is set when it is larger). The caller
 * frees the result; NULL on failure with errno set. */
char *file_read(const char *path, size_t max, size_t *len, bool *too_big);

#endif
