"""The portal's shared library, the bottom layer: it imports no app of the portal.

Formatting of money, percentages and dates; the currencies money fields accept; the date
bounds; the audited queryset and the access history; the admin base classes and the rows
formset; the portal pages' access decorator; the template tags `money`, `dates`, `portal`.
"""
