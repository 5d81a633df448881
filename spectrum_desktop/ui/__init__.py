"""Everything Qt: windows, forms, models/views, background tasks."""
