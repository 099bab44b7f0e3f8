/* commands.h - the klive subcommands, one file each under src/commands/. */
#ifndef KLIVE_COMMANDS_H
#define KLIVE_COMMANDS_H

int cmd_prepare(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_revert(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_uninstall(int argc, char **argv);
int cmd_upgrade(int argc, char **argv);

#endif
