"""Everything Qt: windows, forms, models/views, background tasks."""

from spectrum_desktop.ui.refcount_guard import protect_singletons

protect_singletons()
