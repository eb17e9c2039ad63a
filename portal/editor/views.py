"""Views for the editor feature."""

from flask import Blueprint

bp = Blueprint("editor", __name__, template_folder="templates")
