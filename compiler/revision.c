/* revision.c - the source revision every document is stamped with, read with libgit2:
 * the commit of HEAD, its date, and whether the tree's files differ from it: changed,
 * staged, or untracked and not ignored (SPEC §3). Outside a Git repository (or before the
 * first commit) documents say so instead. */
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

/* The tree's path relative to the work tree, as a pathspec; "" for the whole work tree. */
static char *S_pathspec(const char *tree, const char *workdir) {
  char *real = realpath(tree, NULL), *wd = realpath(workdir, NULL);
  char *spec = NULL;
  if (real && wd) {
    size_t n = strlen(wd);
    if (strncmp(real, wd, n) == 0 && real[n] == '/')
      spec = strdup(real + n + 1);
  }
  free(real);
  free(wd);
  return spec ? spec : strdup("");
}

static bool S_modified(git_repository *repo, const char *tree) {
  const char *workdir = git_repository_workdir(repo);
  if (!workdir)
    return false; /* a bare repository has no work tree to differ */
  char *spec = S_pathspec(tree, workdir);
  char *specs[1] = {spec};
  git_status_options opts;
  git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
  opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  /* Untracked files count (SPEC §3): a new risk file that is not committed changes what
   * the build says, so the build is not the commit's. Ignored files do not count. */
  opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES | GIT_STATUS_OPT_INCLUDE_UNTRACKED;
  if (spec[0]) {
    opts.pathspec.strings = specs;
    opts.pathspec.count = 1;
  }
  git_status_list *list = NULL;
  bool modified = false;
  if (git_status_list_new(&list, repo, &opts) == 0) {
    modified = git_status_list_entrycount(list) > 0;
    git_status_list_free(list);
  }
  free(spec);
  return modified;
}

void revision_read(const char *tree, Revision *rev) {
  memset(rev, 0, sizeof *rev);
  git_libgit2_init();
  git_repository *repo = NULL;
  git_commit *commit = NULL;
  git_oid oid;
  if (git_repository_open_ext(&repo, tree, 0, NULL) != 0 ||
      git_reference_name_to_id(&oid, repo, "HEAD") != 0 ||
      git_commit_lookup(&commit, repo, &oid) != 0)
    goto done;
  rev->in_git = true;
  git_oid_tostr(rev->commit, sizeof rev->commit, &oid);
  memcpy(rev->short_commit, rev->commit, 12);
  Date d = date_from_days((long)(git_commit_time(commit) / 86400));
  date_format(&d, rev->date);
  rev->modified = S_modified(repo, tree);
done:
  git_commit_free(commit);
  git_repository_free(repo);
  git_libgit2_shutdown();
}

const char *revision_text(Arena *a, const Revision *rev) {
  if (!rev->in_git)
    return "not in a Git repository";
  return arena_printf(a, "%s (%s%s)", rev->short_commit, rev->date,
                      rev->modified ? ", modified" : "");
}
