/* gitrepo.h - Git through libgit2 (never the `git` program): the repository holding a tree,
 * a commit's tree as a Source (source_git.c), and the first-parent history of the tree
 * (history.c). Everything here only reads the repository. */
#ifndef ISMSC_GITREPO_H
#define ISMSC_GITREPO_H

#include <git2.h>
#include <stdbool.h>

#include "arena.h"
#include "source.h"

/* Opens the repository whose work tree holds `folder` (searching upward, stopping at
 * GIT_CEILING_DIRECTORIES as git does) and sets *prefix to the folder's path inside the work
 * tree ("" at its top). NULL when the folder is in no repository. Close with gitrepo_close. */
git_repository *gitrepo_open(Arena *a, const char *folder, const char **prefix);
void gitrepo_close(git_repository *repo);
/* The tree of `commit` at prefix; false when the commit has no such folder. The caller
 * frees *out (git_tree_free). */
bool gitrepo_subtree(git_repository *repo, const git_commit *commit, const char *prefix,
                     git_tree **out);
/* libgit2's last error message, for a diagnostic. */
const char *gitrepo_error(void);

/* A Source over `tree` (taken over: freed by source_git_free). label names the revision in
 * messages. The repository must outlive the source. */
Source *source_git(Arena *a, git_repository *repo, git_tree *tree, const char *label);
/* A Source of one file, `path`, whose content is `blob`: a past version of a record file. */
Source *source_blob(Arena *a, git_repository *repo, const char *path, const git_oid *blob,
                    const char *label);
/* Frees what a source_git or source_blob holds (not its arena memory). */
void source_git_free(Source *s);

#endif
