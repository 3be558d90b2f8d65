/* git_rules.h - approval-stale, acceptance-stale, version-unchanged (git_rules.c). */
#ifndef ISMSC_GIT_RULES_H
#define ISMSC_GIT_RULES_H

#include "gitrepo.h"
#include "history.h"
#include "model.h"

/* Judges m's controlled documents and accepted risks against the first-parent history from
 * `start` (NULL: a repository with no commits; repo NULL: no repository). The model is the
 * content as it is now: the work tree, or the revision at start. */
void git_rules_run(Model *m, git_repository *repo, const char *prefix, const git_oid *start);
/* The same for the work tree in `folder`, from its repository's HEAD. With `keep` (a build),
 * the history is walked even when no rule needs it, also following the files of the
 * per-record documents and the manifest, and left open in *keep for the documents' revision
 * histories (close it with git_history_close). */
void git_rules_run_worktree(Model *m, const char *folder, GitHistory *keep);

#endif
