/* resolve.h - the resolve stage: ids to pointers, back-links, catalog join (resolve.c). */
#ifndef ISMSC_RESOLVE_H
#define ISMSC_RESOLVE_H

#include "model.h"

void resolve(Model *m);

#endif
