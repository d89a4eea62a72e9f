/* The header alone: compiled as C89, C11 and C++ by the test command. */
#include "exemplar.h"

int main(void) {
    return exemplar_result_name(EXEMPLAR_OK) == 0;
}
