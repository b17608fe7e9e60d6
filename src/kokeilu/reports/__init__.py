"""Documents made from the registry to be handed on: the application dossier (`application`),
built as a neutral `document` and written as Markdown (`markdown`) or printable HTML (`html`).

No I/O here: the command line and the dashboard write the text where the user asks.
"""
