from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="forum_index"),
    path("topics/<slug:vocabulary>/<slug:code>/", views.topic, name="forum_topic"),
    path("threads/<int:pk>/", views.thread, name="forum_thread"),
    path("threads/<int:pk>/summary/", views.publish_summary, name="forum_publish_summary"),
    path("posts/<int:pk>/report/", views.report, name="forum_report"),
    path("posts/<int:pk>/moderate/", views.moderate_post, name="forum_moderate"),
    path("moderation/", views.moderation_queue, name="forum_moderation"),
]
