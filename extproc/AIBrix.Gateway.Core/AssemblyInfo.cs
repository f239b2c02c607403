// AIBrix.Gateway.Core: the routing core shared by the ext_proc and standalone hosts.
