"""The application layer: each use case written once, called by every face.

The faces (notifier.cli, notifier.web, notifier.daemon) parse input and render output; what an
action does — check it (notifier.core.recording), record it (notifier.store), deliver what it
calls for (notifier.mail, later notifier.channels), publish feeds — lives here, one function per
use case. A refusal is an InputError whose problems name fields (`on`, `item`, `aware_on`...):
the command line shows them as options, the pages beside the form's fields. The same message
either way.

- `records`: done marks (record, correct) and the marks shown with an item;
- `events`: add, resolve and void an event; what it starts; the owners told at once;
- `delivery`: one dispatch round, a send at once, the round's outcome recorded for health;
- `health`: what is wrong, as /healthz and `notifier status` say it;
- `feeds`: rotate a feed's or the timeline JSON's secret token, rebuild the feeds.
"""
