/* main.c - the command line (SPEC §4): parse options, hand over to the driver. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "driver.h"
#include "emit.h"
#include "init.h"
#include "import.h"
#include "json_schema.h"
#include "migrate.h"

static const char usage[] =
    "usage: ismsc check [TREE] [options]          validate an ISMS tree; print diagnostics\n"
    "       ismsc build [TREE] -o OUT [options]   validate, then write the document set\n"
    "       ismsc init DIR                        start a new tree: manifest, scope and a\n"
    "                                             stub per Annex A control\n"
    "       ismsc --help | --version\n"
    "\n"
    "options:\n"
    "  --format text|github|sarif|json\n"
    "                           diagnostics format (default text; github = workflow\n"
    "                           annotations; sarif = SARIF 2.1.0; json: see docs/ci.md)\n"
    "  --werror                 warnings fail the run\n"
    "  --date YYYY-MM-DD        the date checks use (default: SOURCE_DATE_EPOCH, else today)\n"
    "\n"
    "build options:\n"
    "  -o, --output OUT         the output folder (replaced as a whole, atomically)\n"
    "  --force                  build even when the tree has errors; documents say DRAFT\n"
    "  --only LIST              part of the set: soa,rtp,risks,trace,index,policies and/or\n"
    "                           html,docx,json\n"
    "  --unsafe-html            let raw HTML in Markdown through (escaped by default)\n"
    "  --reference-docx FILE    take the DOCX styles, theme, header, footer and page setup\n"
    "                           from FILE (default: TREE/templates/reference.docx if any)\n"
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
      {"version", no_argument, NULL, 'V'},      {"output", required_argument, NULL, 'o'},
      {"force", no_argument, NULL, 'F'},        {"only", required_argument, NULL, 'O'},
      {"unsafe-html", no_argument, NULL, 'U'},  {"reference-docx", required_argument, NULL, 'R'},
      {NULL, 0, NULL, 0},
  };
  /* Commands with options of their own parse them themselves. */
  if (argc > 1 && strcmp(argv[1], "schema") == 0)
    return json_schema_main(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "import") == 0)
    return import_main(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "migrate") == 0)
    return migrate_main(argc - 1, argv + 1);
  Options opt = {.tree = ".", .format = FORMAT_TEXT};
  int c;
  char bad[64];
  while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
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
    case 'o': opt.out = optarg; break;
    case 'F': opt.force = true; break;
    case 'U': opt.unsafe_html = true; break;
    case 'R': opt.reference_docx = optarg; break;
    case 'O':
      if (!build_parse_only(optarg, &opt.only, bad, sizeof bad)) {
        char msg[1024];
        snprintf(msg, sizeof msg, "--only: unknown part '%s' (the parts: %s)", bad,
                 build_only_words());
        return S_usage_error("%s", msg);
      }
      break;
    case 'h': fputs(usage, stdout); return EXIT_CLEAN;
    case 'V': printf("ismsc %s\n", ISMSC_VERSION); return EXIT_CLEAN;
    default: fputs(usage, stderr); return EXIT_USAGE;
    }
  }
  if (optind >= argc)
    return S_usage_error("%s", "no command given: try 'ismsc check'");
  const char *command = argv[optind++];
  bool has_tree = optind < argc;
  if (optind < argc)
    opt.tree = argv[optind++];
  if (optind < argc)
    return S_usage_error("unexpected argument '%s'", argv[optind]);
  if (strcmp(command, "check") == 0)
    return driver_check(&opt);
  if (strcmp(command, "build") == 0) {
    if (!opt.out)
      return S_usage_error("%s", "build needs an output folder: -o OUT");
    return driver_build(&opt);
  }
  if (strcmp(command, "init") == 0) {
    if (!has_tree)
      return S_usage_error("%s", "init needs the folder to start the tree in: ismsc init DIR");
    return init_tree(opt.tree, "iso27001-2022");
  }
  return S_usage_error("unknown command '%s' (check, build, init)", command);
}
