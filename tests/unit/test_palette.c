/* Unit tests for the palette (documents.c's doc_palette): every tone's text colour on its
 * fill meets WCAG 2.x AA for normal text, a contrast ratio of at least 4.5:1. HTML badges
 * (var(--NAME-ink) on var(--NAME)), the heat maps' SVG counts and the DOCX badge runs all
 * take both colours from that one table, so this one check covers every format. The
 * stylesheet is checked too: its badge rules colour text with the palette's ink, never with
 * a colour of their own (the Critical badge's white on red was 3.35:1).
 *
 * The ratio is WCAG's: (L1 + 0.05) / (L2 + 0.05) of the relative luminances, each from the
 * sRGB channels linearised (c / 12.92 up to 0.04045, else ((c + 0.055) / 1.055) ^ 2.4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "embedded.h"

enum { AA_RATIO_TIMES_100 = 450 };

static double S_channel(unsigned v) {
  double c = v / 255.0;
  return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double S_luminance(const char *hex) {
  assert_int_equal(strlen(hex), 6);
  unsigned long rgb = strtoul(hex, NULL, 16);
  return 0.2126 * S_channel((rgb >> 16) & 0xff) + 0.7152 * S_channel((rgb >> 8) & 0xff) +
         0.0722 * S_channel(rgb & 0xff);
}

static double S_contrast(const char *a, const char *b) {
  double la = S_luminance(a), lb = S_luminance(b);
  return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The formula itself, on pairs whose ratios are known: the test can fail. */
static void test_formula(void **state) {
  (void)state;
  assert_true(fabs(S_contrast("000000", "ffffff") - 21.0) < 0.01);
  assert_true(fabs(S_contrast("777777", "ffffff") - 4.48) < 0.01); /* just under AA */
  assert_true(S_contrast("ffffff", "e06666") < 4.5); /* the old Critical badge: 3.35:1 */
}

static void test_every_tone_meets_aa(void **state) {
  (void)state;
  for (int t = 0; t < TONE_COUNT; t++) {
    const ToneColour *c = &doc_palette[t];
    assert_non_null(c->name);
    assert_non_null(c->rgb);
    assert_non_null(c->ink);
    double ratio = S_contrast(c->ink, c->rgb);
    if (ratio * 100 < AA_RATIO_TIMES_100)
      fail_msg("tone %s: text #%s on #%s is %.2f:1, under WCAG AA's 4.5:1", c->name, c->ink, c->rgb,
               ratio);
  }
}

/* Every rule of the built-in stylesheet that gives a badge or tone class its background
 * gives its text the palette's ink as well, and no rule writes white text on a tone. */
static void test_stylesheet_uses_ink(void **state) {
  (void)state;
  const EmbeddedFile *css = embedded_find("templates/style.css");
  assert_non_null(css);
  for (int t = 1; t < TONE_COUNT; t++) {
    const char *name = doc_palette[t].name;
    char bg[64], ink[64];
    snprintf(bg, sizeof bg, "background: var(--%s);", name);
    snprintf(ink, sizeof ink, "color: var(--%s-ink);", name);
    for (const char *p = css->data; (p = strstr(p, bg)) != NULL; p += strlen(bg)) {
      const char *end = strchr(p, '}');
      assert_non_null(end);
      const char *c = strstr(p, ink);
      if (!c || c > end)
        fail_msg("style.css: a rule with '%s' does not set '%s': %.60s", bg, ink, p);
    }
  }
  assert_null(strstr(css->data, "color: #fff; }"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_formula),
      cmocka_unit_test(test_every_tone_meets_aa),
      cmocka_unit_test(test_stylesheet_uses_ink),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
