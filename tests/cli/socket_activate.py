#!/usr/bin/env python3
"""Starts a program as systemd's socket activation does (sd_listen_fds(3)):
a listening TCP socket on ADDRESS with a free port as fd 3, LISTEN_FDS=1
and LISTEN_PID set to the program's pid (this process's: the program
replaces it). Prints the port on the first line first.

usage: socket_activate.py ADDRESS PROGRAM [ARGS...]"""
import os
import socket
import sys

address = sys.argv[1]
family = socket.AF_INET6 if ":" in address else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
s.bind((address, 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
os.environ["LISTEN_PID"] = str(os.getpid())
os.environ["LISTEN_FDS"] = "1"
os.execvp(sys.argv[2], sys.argv[2:])
