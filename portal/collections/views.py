"""Views for the collections feature."""

from flask import Blueprint

bp = Blueprint("collections", __name__, template_folder="templates")
