#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copy what DKMS builds pktmeta from (dkms.conf, module/, include/), without
# build products, into DEST.
#
#   dkms-source.sh DEST
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
tar -C "$repo" -c --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude=Module.symvers --exclude=modules.order \
	dkms.conf module include | tar -C "$1" -x
