/* Built against an installed libexemplar through pkg-config: the header, the library and the
 * versioned shared object are where a C packager expects them. */
#include <exemplar.h>
#include <stdio.h>

int main(void) {
    exemplar_program *p = NULL;
    if (exemplar_program_default(&p) != EXEMPLAR_OK) return 1;
    exemplar_program_free(p);
    printf("installed libexemplar %s works\n", exemplar_version());
    return 0;
}
