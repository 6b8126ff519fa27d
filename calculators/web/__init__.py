"""The widgets' Python side: form fields, parsing, and result markup.

The same functions run at build time (the pre-rendered widget in the HTML) and in the browser's
Pyodide worker (live results), so a result looks identical with or without JavaScript. Values
arrive as data (a dict of strings), are parsed here, and never become source code.
"""
