/* html_out.c - the markup writer; see html_out.h. */
#include "html_out.h"

#include "text.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void S_init(HtmlOut *o, bool opened) {
  o->failed = !opened;
  o->depth = 0;
  o->scratch = NULL;
  o->scratch_cap = 0;
}

void hout_init(HtmlOut *o, FILE *f) { S_init(o, xo_open_file(&o->w, f)); }

void hout_init_buffer(HtmlOut *o, xmlBufferPtr buf) { S_init(o, xo_open_buffer(&o->w, buf)); }

bool hout_finish(HtmlOut *o) {
  bool ok = xo_close(&o->w) && !o->failed;
  free(o->scratch);
  o->scratch = NULL;
  return ok;
}

/* s, or a copy of it in o->scratch with each forbidden code point replaced (text.h). */
static const char *S_clean(HtmlOut *o, const char *s) {
  return text_clean(s, &o->scratch, &o->scratch_cap);
}

/* ---------------------------------------------------------------- elements */

void hout_end(HtmlOut *o) {
  if (!o->depth)
    return;
  xo_end_full(&o->w);
  o->depth--;
}

void hout_attr_part(HtmlOut *o, const char *value) {
  if (value && *value)
    xo_attr_part(&o->w, S_clean(o, value));
}

void hout_attr_end(HtmlOut *o) { xo_attr_end(&o->w); }

void hout_attr_n(HtmlOut *o, const char *key, size_t key_len, const char *value) {
  xo_attr_begin_n(&o->w, key, key_len);
  xo_attr_part(&o->w, S_clean(o, value ? value : ""));
  xo_attr_end(&o->w);
}

/* Escaped inside an element or outside any (a layout slot such as {{title}}) alike. */
void hout_text(HtmlOut *o, const char *s) {
  if (s)
    xo_text(&o->w, S_clean(o, s));
}

void hout_markup(HtmlOut *o, const char *s) {
  const char *clean = S_clean(o, s);
  xo_raw(&o->w, clean, strlen(clean));
}

void hout_raw(HtmlOut *o, const char *s, size_t n) { xo_raw(&o->w, s, n); }
