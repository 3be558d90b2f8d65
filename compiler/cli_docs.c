/* cli_docs.c - what is generated from the command line's tables (cli.c): `ismsc --help`,
 * `ismsc COMMAND --help`, the man page ismsc.1, and the bash and zsh completions.
 *
 * None of these lists an option or a command by hand: a row added to cli.c appears in all
 * of them. The man page and the completions are written at build time by ismsc-gen
 * (compiler/gen_cli.c) and installed by `cmake --install`.
 */
#include <string.h>

#include "cli.h"

/* The help of option id for command c: --format's lists c's formats. */
static void S_option_help(const CliCommand *c, OptId id, char *buf, size_t size) {
  const CliOption *o = cli_option(id);
  if (id == OPT_FORMAT) {
    char list[128];
    snprintf(list, sizeof list, "%s", c->formats ? c->formats : "");
    for (char *p = list; *p; p++)
      if (*p == ',')
        *p = '|';
    snprintf(buf, size, o->help, list);
  } else {
    snprintf(buf, size, "%s", o->help);
  }
}

/* Prints text wrapped at 80 columns; the first line goes on from column `col`, the others
 * start at column `indent`. */
static void S_wrap(FILE *out, const char *text, int col, int indent) {
  bool first = true;
  for (const char *p = text; *p;) {
    size_t n = strcspn(p, " ");
    if (!first && col + 1 + (int)n > 80)
      col = fprintf(out, "\n%*s", indent, "") - 1;
    else if (!first)
      col += fprintf(out, " ");
    col += fprintf(out, "%.*s", (int)n, p);
    first = false;
    p += n;
    p += strspn(p, " ");
  }
  fputc('\n', out);
}

/* "-o, --output OUT" */
static void S_option_spec(OptId id, char *buf, size_t size) {
  const CliOption *o = cli_option(id);
  char letter[8] = "";
  if (o->letter)
    snprintf(letter, sizeof letter, "-%c, ", o->letter);
  snprintf(buf, size, "%s--%s%s%s", letter, o->name, o->metavar ? " " : "",
           o->metavar ? o->metavar : "");
}

void cli_print_help(FILE *out) {
  size_t n;
  const CliCommand *c = cli_commands(&n);
  fputs("usage: ismsc COMMAND [ARGS] [options]\n\n"
        "ismsc compiles an ISMS (ISO/IEC 27001) kept as YAML and Markdown in Git: it checks\n"
        "the tree like a compiler and builds the document set an auditor asks for.\n\n"
        "commands:\n",
        out);
  for (size_t i = 0; i < n; i++) {
    char head[64];
    snprintf(head, sizeof head, "%s %s", c[i].name, c[i].args);
    if (strlen(head) > 24)
      fprintf(out, "  %s\n  %-24s %s\n", head, "", c[i].summary);
    else
      fprintf(out, "  %-24s %s\n", head, c[i].summary);
  }
  fputs("\n  ismsc COMMAND --help     the options of one command\n"
        "  ismsc --version          the version, its catalogs and libraries\n\n"
        "exit status: 0 no errors, 1 errors (or warnings with --werror), 2 usage or I/O "
        "failure\n",
        out);
}

void cli_print_command_help(const CliCommand *c, FILE *out) {
  fprintf(out, "usage: ismsc %s%s%s [options]\n\n%c%s.\n", c->name, *c->args ? " " : "", c->args,
          c->summary[0] - 'a' + 'A', c->summary + 1);
  if (c->details)
    S_wrap(out, c->details, 0, 0);
  fputs("\noptions:\n", out);
  for (const OptId *o = c->options; *o != OPT__COUNT; o++) {
    char spec[64], help[400];
    S_option_spec(*o, spec, sizeof spec);
    S_option_help(c, *o, help, sizeof help);
    if (strlen(spec) > 22)
      fprintf(out, "  %s\n%25s", spec, "");
    else
      fprintf(out, "  %-22s ", spec);
    S_wrap(out, help, 25, 25);
  }
}

/* ---------------------------------------------------------------- man page */

/* roff text: a backslash is "\e", and a line must not start with '.' or '\''. */
static void S_roff(FILE *out, const char *s) {
  if (*s == '.' || *s == '\'')
    fputs("\\&", out);
  for (; *s; s++) {
    if (*s == '\\')
      fputs("\\e", out);
    else if (*s == '-')
      fputs("\\-", out);
    else
      fputc(*s, out);
  }
}

static void S_man_option(FILE *out, const CliCommand *c, OptId id) {
  const CliOption *o = cli_option(id);
  char help[400];
  S_option_help(c, id, help, sizeof help);
  fputs(".TP\n", out);
  if (o->letter)
    fprintf(out, "\\fB\\-%c\\fR, ", o->letter);
  fprintf(out, "\\fB\\-\\-");
  S_roff(out, o->name);
  fputs("\\fR", out);
  if (o->metavar) {
    fputs(" \\fI", out);
    S_roff(out, o->metavar);
    fputs("\\fR", out);
  }
  fputc('\n', out);
  S_roff(out, help);
  fputc('\n', out);
}

void cli_print_man(FILE *out) {
  size_t n;
  const CliCommand *c = cli_commands(&n);
  fprintf(out,
          ".TH ISMSC 1 \"\" \"ismsc %s\" \"User Commands\"\n"
          ".SH NAME\nismsc \\- compile an ISO/IEC 27001 ISMS kept as code\n"
          ".SH SYNOPSIS\n",
          ISMSC_VERSION);
  for (size_t i = 0; i < n; i++) {
    fprintf(out, "\\fBismsc %s\\fR ", c[i].name);
    if (*c[i].args) {
      S_roff(out, c[i].args);
      fputc(' ', out);
    }
    fputs("[\\fIoptions\\fR]\n.br\n", out);
  }
  fputs("\\fBismsc\\fR \\-\\-help | \\-\\-version | \\fICOMMAND\\fR \\-\\-help\n"
        ".SH DESCRIPTION\n"
        "ismsc reads a Git tree of YAML and Markdown records (isms.yaml, scope, assets, risks, "
        "treatments, controls, policies) and checks it like a compiler, with diagnostics at "
        "file:line:column, or builds the document set (HTML, DOCX, isms.json).\n"
        ".SH COMMANDS\n",
        out);
  for (size_t i = 0; i < n; i++) {
    fprintf(out, ".SS \"ismsc %s ", c[i].name);
    S_roff(out, c[i].args);
    fputs("\"\n", out);
    fprintf(out, "%c", c[i].summary[0] - 'a' + 'A');
    S_roff(out, c[i].summary + 1);
    fputs(".\n", out);
    if (c[i].details) {
      S_roff(out, c[i].details);
      fputc('\n', out);
    }
    for (const OptId *o = c[i].options; *o != OPT__COUNT; o++)
      S_man_option(out, &c[i], *o);
  }
  fputs(".SH ENVIRONMENT\n"
        ".TP\n\\fBSOURCE_DATE_EPOCH\\fR\nthe date checks and documents use, when \\-\\-date "
        "is not given\n"
        ".TP\n\\fBNO_COLOR\\fR, \\fBFORCE_COLOR\\fR, \\fBCLICOLOR_FORCE\\fR, \\fBTERM\\fR\n"
        "colour with \\-\\-color auto: NO_COLOR turns it off, FORCE_COLOR or CLICOLOR_FORCE "
        "on, TERM=dumb off\n"
        ".TP\n\\fBGITHUB_STEP_SUMMARY\\fR\nwith \\-\\-format github, every finding is "
        "appended to this file as a Markdown table\n"
        ".SH EXIT STATUS\n0 no errors; 1 errors (or warnings with \\-\\-werror); 2 usage or "
        "I/O failure.\n"
        ".SH SEE ALSO\n\\fBgit\\fR(1); docs/format.md, docs/rules.md and docs/ci.md in the "
        "ismsc sources\n",
        out);
}

/* ---------------------------------------------------------------- completions */

/* The words an option's value completes to, space-separated, or NULL (a file or free). */
static const char *S_values(const CliCommand *c, OptId id, char *buf, size_t size) {
  const char *list = id == OPT_FORMAT ? c->formats : cli_option(id)->values;
  if (!list)
    return NULL;
  snprintf(buf, size, "%s", list);
  for (char *p = buf; *p; p++)
    if (*p == ',')
      *p = ' ';
  return buf;
}

void cli_print_bash_completion(FILE *out) {
  size_t n;
  const CliCommand *c = cli_commands(&n);
  fputs("# bash completion for ismsc, generated from its option tables (ismsc-gen bash)\n"
        "_ismsc() {\n"
        "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
        "    COMPREPLY=($(compgen -W \"",
        out);
  for (size_t i = 0; i < n; i++)
    fprintf(out, "%s ", c[i].name);
  fputs("--help --version\" -- \"$cur\"))\n    return\n  fi\n"
        "  local opts values=\n  case ${COMP_WORDS[1]} in\n",
        out);
  for (size_t i = 0; i < n; i++) {
    fprintf(out, "  %s)\n    opts=\"", c[i].name);
    for (const OptId *o = c[i].options; *o != OPT__COUNT; o++)
      fprintf(out, "--%s ", cli_option(*o)->name);
    fputs("\"\n    case $prev in\n", out);
    for (const OptId *o = c[i].options; *o != OPT__COUNT; o++) {
      char buf[128];
      const char *v = S_values(&c[i], *o, buf, sizeof buf);
      if (v)
        fprintf(out, "    --%s) values=\"%s\" ;;\n", cli_option(*o)->name, v);
      else if (cli_option(*o)->metavar && cli_option(*o)->letter)
        fprintf(out, "    --%s|-%c) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n",
                cli_option(*o)->name, cli_option(*o)->letter);
      else if (cli_option(*o)->metavar)
        fprintf(out, "    --%s) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n",
                cli_option(*o)->name);
    }
    fputs("    esac ;;\n", out);
  }
  fputs("  esac\n"
        "  if [ -n \"$values\" ]; then\n"
        "    COMPREPLY=($(compgen -W \"$values\" -- \"$cur\"))\n"
        "  elif [[ $cur == -* ]]; then\n"
        "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
        "  else\n"
        "    COMPREPLY=($(compgen -d -- \"$cur\"))\n"
        "  fi\n"
        "}\n"
        "complete -o filenames -F _ismsc ismsc\n",
        out);
}

/* zsh _arguments wants ':' and ']' in descriptions escaped; '\'' is closed and reopened. */
static void S_zsh_text(FILE *out, const char *s) {
  for (; *s; s++) {
    if (*s == '\'')
      fputs("'\\''", out);
    else if (*s == ':' || *s == '[' || *s == ']' || *s == '\\')
      fprintf(out, "\\%c", *s);
    else
      fputc(*s, out);
  }
}

void cli_print_zsh_completion(FILE *out) {
  size_t n;
  const CliCommand *c = cli_commands(&n);
  fputs("#compdef ismsc\n# zsh completion for ismsc, generated from its option tables "
        "(ismsc-gen zsh)\n_ismsc() {\n  local -a commands\n  commands=(\n",
        out);
  for (size_t i = 0; i < n; i++) {
    fprintf(out, "    '%s:", c[i].name);
    S_zsh_text(out, c[i].summary);
    fputs("'\n", out);
  }
  fputs("  )\n  if (( CURRENT == 2 )); then\n    _describe command commands\n    return\n  fi\n"
        "  case $words[2] in\n",
        out);
  for (size_t i = 0; i < n; i++) {
    fprintf(out, "  %s)\n    _arguments \\\n", c[i].name);
    for (const OptId *o = c[i].options; *o != OPT__COUNT; o++) {
      const CliOption *opt = cli_option(*o);
      char help[400], buf[128];
      S_option_help(&c[i], *o, help, sizeof help);
      const char *v = S_values(&c[i], *o, buf, sizeof buf);
      fprintf(out, "      '--%s%s[", opt->name, opt->metavar ? "=" : "");
      S_zsh_text(out, help);
      fputc(']', out);
      if (opt->metavar)
        fprintf(out, ":%s:%s%s%s", opt->metavar, v ? "(" : "_files", v ? v : "", v ? ")" : "");
      fputs("' \\\n", out);
    }
    fputs("      '*:file:_files' ;;\n", out);
  }
  fputs("  esac\n}\n_ismsc \"$@\"\n", out);
}
