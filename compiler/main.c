/* main.c - the ismsc program: the command line lives in cli.c, as tables. */
#include "cli.h"

int main(int argc, char **argv) { return cli_main(argc, argv); }
