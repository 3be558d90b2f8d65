/* zip_deflated.h - a part deflated by libdeflate, handed to libzip as an entry whose data is
 * already compressed.
 *
 * Why: zlib's deflate was the largest single cost of a build (the DOCX set of the scale-1
 * bench tree is 98 MB of XML). libdeflate compresses a whole buffer at once, which is what a
 * part in memory is; at its level 1 it takes 62% of zlib level 3's time for the same
 * sizes within 7%, and its CRC-32 a third of zlib's. libzip copies an entry whose source
 * reports ZIP_CM_DEFLATE with its size and CRC as it is (zip_close's add_data), as it does
 * an entry taken from another archive, so the zip around it is still libzip's.
 *
 * What must stay true: the stream is a complete raw deflate stream of exactly `len` bytes,
 * and the entry's CRC and size are those of the uncompressed part. */
#ifndef ISMSC_ZIP_DEFLATED_H
#define ISMSC_ZIP_DEFLATED_H

#include <stddef.h>
#include <zip.h>

/* libdeflate's level 1: see the top of this file and docs/decisions.md. */
enum { ZIP_DEFLATED_LEVEL = 1 };

typedef struct ZipDeflater ZipDeflater; /* one per thread at a time: it holds match tables */

ZipDeflater *zip_deflater_new(void);
void zip_deflater_free(ZipDeflater *d);

/* An entry source for z holding data[0..len) deflated (the bytes are not kept); NULL when
 * memory runs out. The source owns the compressed bytes and frees them when libzip frees it. */
zip_source_t *zip_deflated_source(zip_t *z, ZipDeflater *d, const unsigned char *data,
                                  size_t len);

#endif
