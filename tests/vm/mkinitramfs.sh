#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the small initramfs that boots a stock kernel into the host's root:
# busybox, the init script, and the kernel's own modules for virtio, 9p and
# overlayfs (decompressed, in dependency order), from the kernel's root
# (scripts/kernels.sh --root).
#
#   mkinitramfs.sh KVER OUT.cpio.gz
set -euo pipefail
kver=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
kroot=$("$here/../../scripts/kernels.sh" --root "$kver")
moddir=${kroot%/}/lib/modules/$kver
config=${kroot%/}/boot/config-$kver
[ -f "$config" ] || config=$moddir/config

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,host,upper,newroot,lib/modules}
cp /bin/busybox "$work/bin/busybox"
for applet in sh mount umount mkdir insmod poweroff chroot cat sleep echo; do
	ln -s busybox "$work/bin/$applet"
done
install -m 0755 "$here/init" "$work/init"
# The kernel's module autoloader runs /sbin/modprobe in the initramfs root:
# hand it to the guest's real modprobe in the overlay root.
mkdir -p "$work/sbin"
printf '#!/bin/sh\nexec chroot /newroot /sbin/modprobe "$@"\n' > "$work/sbin/modprobe"
chmod 0755 "$work/sbin/modprobe"

# Modules in load order: each after the modules it depends on.
declare -A seen=()
order=()
add_module() {
	local path=$1 deps
	[ -n "${seen[$path]:-}" ] && return
	seen[$path]=1
	deps=$(sed -n "s|^$path: *||p" "$moddir/modules.dep")
	for d in $deps; do add_module "$d"; done
	order+=("$path")
}
for name in virtio_pci 9pnet_virtio 9p overlay; do
	path=$(grep -oE "^[^:]*/$name\.ko(\.xz|\.zst)?:" "$moddir/modules.dep" | tr -d : || true)
	if [ -z "$path" ]; then
		grep -qE "^CONFIG_$(echo "$name" | tr a-z A-Z)=y" "$config" 2>/dev/null && continue
		[ "$name" = virtio_pci ] && continue # built in on 6.12
		echo "mkinitramfs: module $name not found for $kver" >&2
		exit 1
	fi
	add_module "$path"
done
for path in "${order[@]}"; do
	name=$(basename "$path")
	name=${name%.xz}
	name=${name%.zst}
	case "$path" in
	*.xz) xz -dc "$moddir/$path" > "$work/lib/modules/$name" ;;
	*.zst) zstd -qdc "$moddir/$path" > "$work/lib/modules/$name" ;;
	*) cp "$moddir/$path" "$work/lib/modules/$name" ;;
	esac
	echo "$name" >> "$work/modules.order"
done

(cd "$work" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
