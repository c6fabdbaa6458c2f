/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The runner's subcommands, one file each (lib/cmd_*.c). Each takes the
 * arguments after its name (argv[0] is the command name) and returns the
 * process exit status: 0 success, 1 a test or verdict failed, 2 bad input.
 */
#ifndef SNOOP_COMMANDS_H
#define SNOOP_COMMANDS_H

#define EXIT_TESTFAIL 1
#define EXIT_BADINPUT 2

int cmd_list(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_vm(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_bind(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_fio(int argc, char **argv);
int cmd_bundle(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);





#endif
