"""Calendar feeds: render (plain values in, bytes out), write to calendars/, serve over HTTP."""
