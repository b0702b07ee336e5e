"""The Clean Rooms service itself, one package per family of operations (see DESIGN.md)."""
