/* Replays a libFuzzer corpus without libFuzzer: every file in the directory
 * given as argv[1] (and any files named directly) is fed once to
 * LLVMFuzzerTestOneInput. Built into every normal and sanitizer test run so
 * each fuzz finding stays a regression test forever. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (f == NULL)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t count = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: cannot stat %s\n", argv[i]);
			return 1;
		}
		if (S_ISDIR(st.st_mode)) {
			DIR *dir = opendir(argv[i]);
			struct dirent *de;
			if (dir == NULL)
				return 1;
			while ((de = readdir(dir)) != NULL) {
				char path[4096];
				if (de->d_name[0] == '.')
					continue;
				snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
				if (replay_file(path) != 0) {
					fprintf(stderr, "replay: cannot read %s\n", path);
					closedir(dir);
					return 1;
				}
				count++;
			}
			closedir(dir);
		} else {
			if (replay_file(argv[i]) != 0)
				return 1;
			count++;
		}
	}
	printf("replayed %zu inputs\n", count);
	if (count == 0) {
		fprintf(stderr, "replay: empty corpus\n");
		return 1;
	}
	return 0;
}
