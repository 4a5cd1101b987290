"""A small 12-factor Flask app: configuration from the environment, logs to stdout.

The charm (charm/) passes its `token` option as FLASK_TOKEN, as paas-charm does.
"""
import os

from flask import Flask, jsonify, render_template

app = Flask(__name__)
app.config["GREETING"] = os.environ.get("FLASK_GREETING", "Hello from a gantry rock")
app.config["TOKEN"] = os.environ.get("FLASK_TOKEN", "")


@app.route("/")
def index():
    return render_template("index.html", greeting=app.config["GREETING"])


@app.route("/health")
def health():
    return jsonify(status="ok", token_set=bool(app.config["TOKEN"]))
