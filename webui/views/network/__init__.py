"""The network at work: the project registry, meetings and the annual plan, topic proposals, working
groups."""
