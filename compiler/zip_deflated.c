/* zip_deflated.c - parts deflated by libdeflate as libzip entry sources; see zip_deflated.h. */
#include "zip_deflated.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

struct ZipDeflater {
  struct libdeflate_compressor *c;
};

ZipDeflater *zip_deflater_new(void) {
  ZipDeflater *d = malloc(sizeof *d);
  if (d && !(d->c = libdeflate_alloc_compressor(ZIP_DEFLATED_LEVEL))) {
    free(d);
    d = NULL;
  }
  return d;
}

void zip_deflater_free(ZipDeflater *d) {
  if (!d)
    return;
  libdeflate_free_compressor(d->c);
  free(d);
}

/* One entry's compressed bytes and what libzip asks of them. */
typedef struct Deflated {
  unsigned char *bytes;
  size_t len, pos; /* compressed length; read position */
  zip_uint64_t size; /* uncompressed */
  zip_uint32_t crc;
  zip_error_t error;
} Deflated;

static zip_int64_t S_stat(Deflated *e, void *data, zip_uint64_t len) {
  if (len < sizeof(zip_stat_t)) {
    zip_error_set(&e->error, ZIP_ER_INVAL, 0);
    return -1;
  }
  zip_stat_t *st = data;
  zip_stat_init(st);
  st->size = e->size;
  st->comp_size = e->len;
  st->comp_method = ZIP_CM_DEFLATE; /* what makes zip_close copy the bytes as they are */
  st->crc = e->crc;
  st->encryption_method = ZIP_EM_NONE;
  st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
              ZIP_STAT_ENCRYPTION_METHOD;
  return sizeof(zip_stat_t);
}

/* What libzip's own deflate layer says of an entry: version 2.0 needed, and the
 * general-purpose bits 1-2 that name the speed (binary 10, "fast", below level 3), over the
 * bits a source may set (ZIP_FILE_ATTRIBUTES_GENERAL_PURPOSE_BIT_FLAGS_ALLOWED_MASK, which
 * libzip 1.7 keeps in its private zipint.h), so the headers are what that layer made. */
enum { GP_BITS_A_SOURCE_SETS = 0x0836 };
static zip_int64_t S_attributes(Deflated *e, void *data, zip_uint64_t len) {
  if (len < sizeof(zip_file_attributes_t)) {
    zip_error_set(&e->error, ZIP_ER_INVAL, 0);
    return -1;
  }
  zip_file_attributes_t *a = data;
  zip_file_attributes_init(a);
  a->valid = ZIP_FILE_ATTRIBUTES_VERSION_NEEDED | ZIP_FILE_ATTRIBUTES_GENERAL_PURPOSE_BIT_FLAGS;
  a->version_needed = 20;
  a->general_purpose_bit_mask = GP_BITS_A_SOURCE_SETS;
  a->general_purpose_bit_flags = ZIP_DEFLATED_LEVEL < 3 ? 2 << 1 : 0;
  return sizeof(zip_file_attributes_t);
}

static zip_int64_t S_callback(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd) {
  Deflated *e = ud;
  switch (cmd) {
  case ZIP_SOURCE_OPEN: e->pos = 0; return 0;
  case ZIP_SOURCE_READ: {
    size_t n = e->len - e->pos < len ? e->len - e->pos : (size_t)len;
    memcpy(data, e->bytes + e->pos, n);
    e->pos += n;
    return (zip_int64_t)n;
  }
  case ZIP_SOURCE_CLOSE: return 0;
  case ZIP_SOURCE_STAT: return S_stat(e, data, len);
  case ZIP_SOURCE_GET_FILE_ATTRIBUTES: return S_attributes(e, data, len);
  case ZIP_SOURCE_ERROR: return zip_error_to_data(&e->error, data, len);
  case ZIP_SOURCE_FREE:
    zip_error_fini(&e->error);
    free(e->bytes);
    free(e);
    return 0;
  case ZIP_SOURCE_SUPPORTS:
    return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                          ZIP_SOURCE_STAT, ZIP_SOURCE_GET_FILE_ATTRIBUTES,
                                          ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
  default: zip_error_set(&e->error, ZIP_ER_OPNOTSUPP, 0); return -1;
  }
}

zip_source_t *zip_deflated_source(zip_t *z, ZipDeflater *d, const unsigned char *data,
                                  size_t len) {
  Deflated *e = calloc(1, sizeof *e);
  size_t bound = libdeflate_deflate_compress_bound(d->c, len);
  if (e)
    e->bytes = malloc(bound);
  if (!e || !e->bytes) {
    free(e);
    return NULL;
  }
  /* With the bound as room, compression cannot run out of space (libdeflate.h). */
  e->len = libdeflate_deflate_compress(d->c, data, len, e->bytes, bound);
  e->size = len;
  e->crc = (zip_uint32_t)libdeflate_crc32(0, data, len);
  zip_error_init(&e->error);
  zip_source_t *src = e->len ? zip_source_function(z, S_callback, e) : NULL;
  if (!src) {
    zip_error_fini(&e->error);
    free(e->bytes);
    free(e);
  }
  return src;
}
