#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Print the cache directory the scripts share (kernel sources and headers,
# LAVA's helpers): SNOOPCHECK_CACHE, else /var/cache/snoopcheck for root,
# else the user's own cache. Shared between builds: take a lock there.
if [ -n "${SNOOPCHECK_CACHE:-}" ]; then
	echo "$SNOOPCHECK_CACHE"
elif [ "$(id -u)" = 0 ]; then
	echo /var/cache/snoopcheck
else
	echo "${XDG_CACHE_HOME:-$HOME/.cache}/snoopcheck"
fi
