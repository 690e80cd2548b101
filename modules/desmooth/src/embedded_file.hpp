// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_EMBEDDED_FILE_HPP
#define OPENCV_DESMOOTH_EMBEDDED_FILE_HPP

// Links a file's bytes into the library with the assembler's .incbin (GCC and Clang), so that the library
// works with no data file around: NAME_begin and NAME_end delimit them. The build passes the file's path; a
// change of the file rebuilds the object that embeds it (cmake/desmooth_module.cmake).
#define DESMOOTH_EMBED_FILE(NAME, PATH)                                                                      \
    __asm__(".section .rodata\n"                                                                             \
            ".balign 16\n"                                                                                   \
            ".global " #NAME "_begin\n"                                                                      \
            ".hidden " #NAME "_begin\n" #NAME "_begin:\n"                                                    \
            ".incbin \"" PATH "\"\n"                                                                         \
            ".global " #NAME "_end\n"                                                                        \
            ".hidden " #NAME "_end\n" #NAME "_end:\n"                                                        \
            ".previous\n");                                                                                  \
    extern "C" const char NAME##_begin[];                                                                    \
    extern "C" const char NAME##_end[]

#endif
