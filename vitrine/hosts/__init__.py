"""The programs that render the pages. Only this package imports one."""
