"""QUndoCommand subclasses: each calls a service to do and to undo one change.

A command's ``redo`` runs when it is pushed; a ``DeskError`` there is shown to the
analyst by whoever pushes it, and the command is not kept on the stack.
"""
