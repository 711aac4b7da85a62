// SPDX-License-Identifier: GPL-2.0
/*
 * resolve_btfids for one module: fill the BTF ids of a module's .BTF_ids
 * section from the module's own (split) BTF.
 *
 * Kbuild does this with the kernel's tools/bpf/resolve_btfids when the
 * headers ship vmlinux; Debian 12's 6.1 headers ship neither vmlinux nor the
 * tool, so module-btf.sh generates the module BTF with pahole and calls this.
 *
 * The section holds symbols made by include/linux/btf_ids.h:
 *   __BTF_ID__<kind>__<name>__<n>  4 bytes: the id of <name> of BTF <kind>
 *   __BTF_ID__set8__<list>         8 bytes header (u32 cnt, u32 flags), then
 *                                  cnt pairs (u32 id, u32 flags), sorted by id
 *   __BTF_ID__set__<list>          u32 cnt, then cnt u32 ids, sorted
 * The count of a set is its symbol size in entries, minus the header.
 *
 * Usage: resolve_btfids BASE_BTF MODULE.ko
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>

#define PREFIX "__BTF_ID__"

struct set {
	size_t off;		/* offset of the set's header in the section */
	size_t cnt;		/* entries */
	size_t entry;		/* bytes per entry: 8 for set8, 4 for set */
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int kind_of(const char *prefix, size_t len)
{
	static const struct { const char *name; int kind; } kinds[] = {
		{ "func", BTF_KIND_FUNC }, { "struct", BTF_KIND_STRUCT },
		{ "union", BTF_KIND_UNION }, { "typedef", BTF_KIND_TYPEDEF },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].name) == len && !strncmp(prefix, kinds[i].name, len))
			return kinds[i].kind;
	return -1;
}

/* "<name>__<digits>" -> "<name>" in a fresh string. */
static char *strip_counter(const char *s)
{
	size_t n = strlen(s);

	while (n && isdigit((unsigned char)s[n - 1]))
		n--;
	if (n < 3 || strncmp(s + n - 2, "__", 2))
		return NULL;
	return strndup(s, n - 2);
}

int main(int argc, char **argv)
{
	struct btf *base, *btf;
	Elf_Scn *scn = NULL, *ids_scn = NULL, *sym_scn = NULL;
	GElf_Shdr ids_shdr = { 0 }, sym_shdr = { 0 }, shdr;
	struct set sets[64];
	size_t nsets = 0, resolved = 0, shstrndx, i;
	unsigned char *data;
	Elf_Data *syms;
	Elf *elf;
	int fd, err = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s BASE_BTF MODULE.ko\n", argv[0]);
		return 2;
	}
	base = btf__parse(argv[1], NULL);
	if (!base) {
		fprintf(stderr, "resolve_btfids: cannot read base BTF %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	btf = btf__parse_split(argv[2], base);
	if (!btf) {
		fprintf(stderr, "resolve_btfids: %s has no BTF (run pahole -J first): %s\n",
			argv[2], strerror(errno));
		return 1;
	}

	elf_version(EV_CURRENT);
	fd = open(argv[2], O_RDWR);
	if (fd < 0 || !(elf = elf_begin(fd, ELF_C_READ, NULL)) || elf_getshdrstrndx(elf, &shstrndx)) {
		fprintf(stderr, "resolve_btfids: cannot read ELF %s\n", argv[2]);
		return 1;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		gelf_getshdr(scn, &shdr);
		if (shdr.sh_type == SHT_SYMTAB) {
			sym_scn = scn;
			sym_shdr = shdr;
		} else if (!strcmp(elf_strptr(elf, shstrndx, shdr.sh_name), ".BTF_ids")) {
			ids_scn = scn;
			ids_shdr = shdr;
		}
	}
	if (!ids_scn || !sym_scn) {
		fprintf(stderr, "resolve_btfids: %s has no .BTF_ids section or no symbols\n", argv[2]);
		return 1;
	}
	data = malloc(ids_shdr.sh_size);
	if (!data || pread(fd, data, ids_shdr.sh_size, ids_shdr.sh_offset) != (ssize_t)ids_shdr.sh_size) {
		fprintf(stderr, "resolve_btfids: cannot read .BTF_ids\n");
		return 1;
	}

	syms = elf_getdata(sym_scn, NULL);
	for (i = 0; i < sym_shdr.sh_size / sym_shdr.sh_entsize; i++) {
		const char *name, *rest, *sep;
		GElf_Sym sym;
		char *target;
		uint32_t id;
		int kind, ret;

		gelf_getsym(syms, i, &sym);
		name = elf_strptr(elf, sym_shdr.sh_link, sym.st_name);
		if (!name || sym.st_shndx != elf_ndxscn(ids_scn) || strncmp(name, PREFIX, strlen(PREFIX)))
			continue;
		rest = name + strlen(PREFIX);
		if (sym.st_value + 4 > ids_shdr.sh_size) {
			fprintf(stderr, "resolve_btfids: %s lies outside .BTF_ids\n", name);
			return 1;
		}
		if (!strncmp(rest, "set8__", 6) || !strncmp(rest, "set__", 5)) {
			size_t entry = rest[3] == '8' ? 8 : 4;

			if (nsets == sizeof(sets) / sizeof(sets[0]) || sym.st_size < entry ||
			    sym.st_value + sym.st_size > ids_shdr.sh_size) {
				fprintf(stderr, "resolve_btfids: bad set %s\n", name);
				return 1;
			}
			sets[nsets].off = sym.st_value;
			sets[nsets].cnt = sym.st_size / entry - 1;
			sets[nsets].entry = entry;
			nsets++;
			continue;
		}
		sep = strstr(rest, "__");
		kind = sep ? kind_of(rest, sep - rest) : -1;
		target = sep ? strip_counter(sep + 2) : NULL;
		if (kind < 0 || !target) {
			fprintf(stderr, "resolve_btfids: cannot parse symbol %s\n", name);
			return 1;
		}
		ret = btf__find_by_name_kind(btf, target, kind);
		if (ret <= 0) {
			fprintf(stderr, "resolve_btfids: %s not found in the BTF of %s\n", target, argv[2]);
			err = 1;
		} else {
			id = ret;
			memcpy(data + sym.st_value, &id, sizeof(id));
			resolved++;
		}
		free(target);
	}
	if (err)
		return 1;

	for (i = 0; i < nsets; i++) {
		uint32_t cnt = sets[i].cnt;

		memcpy(data + sets[i].off, &cnt, sizeof(cnt));
		qsort(data + sets[i].off + sets[i].entry, sets[i].cnt, sets[i].entry, cmp_u32);
	}
	if (pwrite(fd, data, ids_shdr.sh_size, ids_shdr.sh_offset) != (ssize_t)ids_shdr.sh_size) {
		fprintf(stderr, "resolve_btfids: cannot write .BTF_ids: %s\n", strerror(errno));
		return 1;
	}
	printf("resolve_btfids: %zu ids and %zu sets resolved in %s\n", resolved, nsets, argv[2]);
	elf_end(elf);
	close(fd);
	return 0;
}
