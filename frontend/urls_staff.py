"""The staff workspace (booking staff and accounting)."""

urlpatterns: list = []
