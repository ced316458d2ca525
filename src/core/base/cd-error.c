// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-error"

#include "config.h"

#include "cd-error.h"

G_DEFINE_QUARK (cd-error-quark, cd_error)
