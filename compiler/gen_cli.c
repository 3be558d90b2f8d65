/* gen_cli.c - ismsc-gen: writes the man page and the shell completions from the command
 * line's tables (cli.c), at build time. Usage: ismsc-gen man|bash|zsh > FILE */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv) {
  const char *what = argc == 2 ? argv[1] : "";
  if (strcmp(what, "man") == 0)
    cli_print_man(stdout);
  else if (strcmp(what, "bash") == 0)
    cli_print_bash_completion(stdout);
  else if (strcmp(what, "zsh") == 0)
    cli_print_zsh_completion(stdout);
  else {
    fputs("usage: ismsc-gen man|bash|zsh\n", stderr);
    return 2;
  }
  return fflush(stdout) == 0 ? 0 : 1;
}
