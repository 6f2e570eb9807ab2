"""Reading source trees: file lists, globs, regex safety and the guard scan for prohibited symbols."""
