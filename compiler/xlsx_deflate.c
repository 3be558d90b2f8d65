/* xlsx_deflate.c - the deflate level of the XLSX workbooks.
 *
 * libxlsxwriter 1.1.4 (Debian 12) zips a workbook through minizip at zlib's default level 6
 * and has no option for it; its deflate was 0.9 G of a scale-1 build's instructions, a fifth
 * of the XLSX renderer. DOCX parts are deflated at libdeflate's level 1 (opc.c,
 * docs/decisions.md); workbooks get zlib's level 1 the only way 1.1.4 allows: this
 * executable defines minizip's zipOpenNewFileInZip4_64, which libxlsxwriter calls for each
 * entry, and hands the call on to minizip's own (the next definition, RTLD_NEXT) with the
 * level changed. The dynamic linker binds libxlsxwriter's call here because the executable
 * comes first in the lookup order, and ld exports the definition because a shared library
 * of the link refers to it.
 *
 * Level 1 makes the four workbooks of a scale-1 build about a third larger (1.26 to 1.66 MB)
 * for a tenth of the XLSX renderer's CPU. tests/xlsx checks that every entry of every
 * workbook is marked as deflated at level 1 (minizip sets the "super fast" bits), so a
 * libxlsxwriter that stops calling through here is noticed; the workbooks stay valid either
 * way. Entries stored without compression (level 0) are left alone. */
#include <dlfcn.h>
#include <stdio.h>
#include <zip.h>
#include <zlib.h>

enum { XLSX_DEFLATE_LEVEL = 1 };

typedef int (*OpenEntryFn)(zipFile, const char *, const zip_fileinfo *, const void *, uInt,
                           const void *, uInt, const char *, int, int, int, int, int, int,
                           const char *, uLong, uLong, uLong, int);

static OpenEntryFn S_minizip_open_entry(void) {
  /* Resolved at the first call; workbooks are written on several threads, dlsym is
   * thread-safe and gives each the same answer, so a race only repeats the lookup. */
  static OpenEntryFn next;
  OpenEntryFn fn = __atomic_load_n(&next, __ATOMIC_ACQUIRE);
  if (!fn) {
    fn = (OpenEntryFn)dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
    __atomic_store_n(&next, fn, __ATOMIC_RELEASE);
  }
  return fn;
}

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const zip_fileinfo *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local,
                            const void *extrafield_global, uInt size_extrafield_global,
                            const char *comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password,
                            uLong crcForCrypting, uLong versionMadeBy, uLong flagBase,
                            int zip64) {
  OpenEntryFn next = S_minizip_open_entry();
  if (!next) {
    fputs("ismsc: minizip's zipOpenNewFileInZip4_64 not found\n", stderr);
    return ZIP_INTERNALERROR;
  }
  if (method == Z_DEFLATED && level != 0)
    level = XLSX_DEFLATE_LEVEL;
  return next(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
              size_extrafield_global, comment, method, level, raw, windowBits, memLevel,
              strategy, password, crcForCrypting, versionMadeBy, flagBase, zip64);
}
