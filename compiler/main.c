/* main.c - the command line (SPEC §4): parse options, hand over to the driver. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "driver.h"

static const char usage[] =
    "usage: ismsc check [TREE] [options]     validate an ISMS tree; print diagnostics\n"
    "       ismsc --help | --version\n"
    "\n"
    "options:\n"
    "  --format text|github|sarif|json\n"
    "                           diagnostics format (default text; github = workflow\n"
    "                           annotations; sarif = SARIF 2.1.0; json: see docs/ci.md)\n"
    "  --werror                 warnings fail the run\n"
    "  --date YYYY-MM-DD        the date checks use (default: SOURCE_DATE_EPOCH, else today)\n"
    "\n"
    "exit status: 0 no errors, 1 errors (or warnings with --werror), 2 usage or I/O failure\n";

static int S_usage_error(const char *fmt, const char *arg) {
  fputs("ismsc: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nTry 'ismsc --help'.\n", stderr);
  return EXIT_USAGE;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'f'}, {"werror", no_argument, NULL, 'W'},
      {"date", required_argument, NULL, 'd'},   {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0},
  };
  Options opt = {.tree = ".", .format = FORMAT_TEXT};
  int c;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (strcmp(optarg, "text") == 0)
        opt.format = FORMAT_TEXT;
      else if (strcmp(optarg, "github") == 0)
        opt.format = FORMAT_GITHUB;
      else if (strcmp(optarg, "sarif") == 0)
        opt.format = FORMAT_SARIF;
      else if (strcmp(optarg, "json") == 0)
        opt.format = FORMAT_JSON;
      else
        return S_usage_error("unknown format '%s' (text, github, sarif, json)", optarg);
      break;
    case 'W': opt.werror = true; break;
    case 'd':
      if (!date_parse(optarg, &opt.date))
        return S_usage_error("--date '%s' is not a valid YYYY-MM-DD date", optarg);
      opt.has_date = true;
      break;
    case 'h': fputs(usage, stdout); return EXIT_CLEAN;
    case 'V': printf("ismsc %s\n", ISMSC_VERSION); return EXIT_CLEAN;
    default: fputs(usage, stderr); return EXIT_USAGE;
    }
  }
  if (optind >= argc)
    return S_usage_error("%s", "no command given: try 'ismsc check'");
  const char *command = argv[optind++];
  if (optind < argc)
    opt.tree = argv[optind++];
  if (optind < argc)
    return S_usage_error("unexpected argument '%s'", argv[optind]);
  if (strcmp(command, "check") == 0)
    return driver_check(&opt);
  return S_usage_error("unknown command '%s' (check)", command);
}
