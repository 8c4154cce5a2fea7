"""Quick surveys: answering (one question per message), building them in the chat or from a
file, the audience picker, launching, reminders, closing, and /results with its exports.

Members:
  invitations.py  the invitation and reminder, the sv_ link, /surveys, native poll answers
  answering.py    taps on a question and typed answers, Back, Skip, completion
  questions.py    what a question looks like and which comes next (also the preview's)
Coordinators (one ConversationHandler, in form.py):
  steps.py        what the form's parts share: step names, the draft, buttons, kinds
  form.py         /newsurvey step by step, and the conversation with all its steps
  conditions.py   a question asked only after a given answer to an earlier one
  audience.py     who it is for: the picker and its taps
  document.py     the survey as a YAML/JSON file, and the example to edit
  launch.py       preview and launch (questions, a poll each, or a poll in the group)
  results.py      /results: figures, charts, exports
  manage.py       remind now or later, close by hand, and the job that closes on time

May use handlers.core, handlers.shared, bot/ and storage/; no other feature.
"""
